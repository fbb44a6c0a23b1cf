"""What the agreement costs: costs and their split between parties, subsidies, timber sales."""
