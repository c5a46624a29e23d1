# The one place the package version is written; hatchling reads it at build
# time and ``mali_aid.__version__`` reads it back from the installed metadata.
__version__ = "0.2.0.dev0"
