"""The desk in the admin: the article admin and its actions, the calendar, comments and reminders."""
