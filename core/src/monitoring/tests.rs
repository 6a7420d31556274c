//! Given / when / then tests of the monitoring block through the reducer.
