"""HTTP only: the FastAPI app, its settings, routers, schemas, authentication and the one error mapping.
Only this package imports FastAPI or pydantic; the command line is `cli/`, the verifier `transparency/`."""
