"""A publish gate for tests: plugged in through settings.NEWSDESK_PUBLISH_GATES like any other."""


def always_blocked(article):
    return ["The legal team has not seen this yet."]
