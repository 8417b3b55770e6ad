"""The colours of every picture: Okabe & Ito's (2008) palette, distinct under the common
colour blindnesses. Humans are blues, zombies vermillion and orange."""

from __future__ import annotations

BLUE = "#0072B2"
SKY = "#56B4E9"
GREEN = "#009E73"  # bluish green
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
PURPLE = "#CC79A7"  # reddish purple
YELLOW = "#F0E442"
BLACK = "#000000"
