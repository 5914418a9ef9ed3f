# The desk names the time zone of every time it shows (settings.TIME_ZONE, the desk's zone).
DATETIME_FORMAT = "j M Y H:i T"
SHORT_DATETIME_FORMAT = "j M Y H:i T"
