//! OS keyring store (being written).
