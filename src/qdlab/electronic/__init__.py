"""Electronic states: analytic models, the exact radial solver, Coulomb terms."""
