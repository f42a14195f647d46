"""What the routes do: plain functions over a database session (and the storage they are
handed), testable without HTTP. They raise ServiceError subclasses; the app turns those into
`{"detail": ...}` answers with the right status."""
