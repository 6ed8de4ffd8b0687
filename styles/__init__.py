"""The built-in style sheets, installed as ``converter.styles`` (loaded by
``converter.write.stylesheets``)."""
