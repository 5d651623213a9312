"""The Sì Lở Lầu demonstration site: its data (data/), pictures (drawings/), spoken clips
(clips/) and the `seed_demo` command that builds it from them (services/). It sits on top of
every other app and nothing imports it."""
