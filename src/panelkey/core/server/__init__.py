"""The server itself: its settings, extensions, custom buttons, the fixed catalogues, seed
data, what a first start makes (stock), and properties kept only to be answered back."""
