"""One module per input form; each turns decoded text into `Line`s of `Cell`s."""
