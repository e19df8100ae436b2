"""Desktop simulation mode: embedded broker + simulator process + HMI window (`ema-demo`)."""
