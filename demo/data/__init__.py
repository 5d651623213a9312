"""The demo's data, in plain Python literals (shapes in demo/specs.py): what `seed_demo` creates.

README "Demo accounts" and DESIGN §4 describe it to people; change them with it."""
