//! Statistics engine (placeholder while it is written).
