# Dates are shown day first everywhere (WAGTAIL_DATE_FORMAT "%d/%m/%Y"), so they must be read day
# first too: Django's own Vietnamese formats have no input formats and its English ones read
# month first, which turned 01/03/2026 into 3 January and refused 26/11/2026.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
