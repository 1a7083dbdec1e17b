"""CallShield's desktop app: a thin Qt shell that drives the `detectors` engine from one worker thread."""
