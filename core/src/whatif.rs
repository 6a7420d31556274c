//! whatif
