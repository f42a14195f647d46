"""The practice screen: record a scene's lines with a live pitch trace and a quick score."""
