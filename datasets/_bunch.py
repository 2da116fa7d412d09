"""A dict whose keys are also attributes, as returned by the tabular loaders."""


class Bunch(dict):
    """Dictionary with attribute access (``b.data`` is ``b["data"]``).

    Mirrors scikit-learn's ``Bunch`` so code written against
    ``sklearn.datasets`` reads the same.
    """

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(
                f"Bunch has no attribute {key!r}; keys are {sorted(self)}"
            ) from None

    def __setattr__(self, key, value):
        self[key] = value

    def __dir__(self):
        return list(self.keys())
