"""The `mingzhang` command line (`main`) and the composition root (`compose`): where settings become a
ledger, its views, the signing key and the service's list of views, for the API process and every
command alike."""
