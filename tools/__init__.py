"""Developer tools: the demo scene generator, screenshot renderers and the eSpeak NG helper that the
tools, benchmarks and tests share. Not part of the app: nothing in `yousync_desktop` imports this
package, and the wheel does not ship it (pyproject packages only `yousync_desktop*`)."""
