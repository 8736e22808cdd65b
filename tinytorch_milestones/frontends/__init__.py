"""The faces of the product: the CLI, the IPython extension and the progress views."""
