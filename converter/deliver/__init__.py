"""Getting finished books to a reader: onto a plugged-in e-reader, or by mail to a Kindle."""
