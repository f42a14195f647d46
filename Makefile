# The two set-up commands (see README): `make run` starts the app, `make test` runs every test.
# Both install what is missing first and are safe to re-run. `make server` starts the backend.
.PHONY: run test server setup screenshots demo-scenes translations

run:
	@scripts/setup.sh run
	@scripts/run-app.sh

test:
	@scripts/setup.sh test
	@scripts/run-tests.sh

# The YouSync backend with no configuration: SQLite and objects in the platform data folder,
# the demo scenes installed on first start, http://127.0.0.1:8000/ (YOUSYNC_* and DATABASE_URL
# configure it; see yousync_server/config.py).
server:
	@scripts/setup.sh server
	@.venv/bin/yousync-server serve

# Renders the main window with the demo scenes (English and Korean) to docs/screenshots/.
screenshots:
	@scripts/setup.sh test
	@QT_QPA_PLATFORM=offscreen YOUSYNC_DATA_DIR=$$(mktemp -d) .venv/bin/yousync screenshot docs/screenshots/main-window.png --language en
	@QT_QPA_PLATFORM=offscreen YOUSYNC_DATA_DIR=$$(mktemp -d) .venv/bin/yousync screenshot docs/screenshots/main-window-ko.png --language ko
	@.venv/bin/python tools/practice_screenshots.py
	@.venv/bin/python tools/practice_screenshots.py --language ko

# Regenerates resources/demo_scenes/*.yspack from tools/make_demo_scenes.py.
demo-scenes:
	@scripts/setup.sh test
	@.venv/bin/python tools/make_demo_scenes.py --out resources/demo_scenes

translations:
	@scripts/setup.sh run
	@tools/update_translations.sh
