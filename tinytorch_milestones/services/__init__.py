"""Services under the frontends: exporting notebooks into the `tinytorch` package, verifying milestones."""
