"""The national council (連携推進協議会): its certifications of partnerships, its grants
and its national view of every partnership."""
