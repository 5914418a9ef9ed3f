"""What comes in: source documents read into draft parts, and spreadsheets in and out."""
