// Prometheus metrics of a SondeDriver, for the service that owns it (the agent's /metrics).
export function registerSondeMetrics(registry, driver) {
    const readings = registry.counter('dsp_sonde_readings_total', 'Readings parsed from the sonde');
    const rejected = registry.counter('dsp_sonde_rejected_lines_total', 'Sonde lines that looked like data but could not be read, by reason');
    driver.on('reading', () => readings.inc());
    driver.on('rejected', (line) => rejected.inc({ reason: line.reason }));
    const status = () => driver.status();
    registry
        .gauge('dsp_sonde_connected', '1 while the serial port is open')
        .collect({}, () => (status().connected ? 1 : 0));
    registry
        .gauge('dsp_sonde_streaming', '1 while the sonde is sampling (active) or listened to (passive)')
        .collect({}, () => (['streaming', 'passive'].includes(status().state) ? 1 : 0));
    registry.gauge('dsp_sonde_interval_seconds', 'Sampling interval in force').collect({}, () => status().intervalS);
    registry
        .gauge('dsp_sonde_serial_reopens', 'Times the serial port was opened again after a loss')
        .collect({}, () => status().reconnects);
    registry
        .gauge('dsp_sonde_watchdog_restarts', 'Sampling restarts after 3 intervals without a reading')
        .collect({}, () => status().watchdogRestarts);
    registry
        .gauge('dsp_sonde_last_reading_timestamp_seconds', 'Gateway time of the last reading (0 = none yet)')
        .collect({}, () => (status().lastReadingAt ?? 0) / 1000);
    registry
        .gauge('dsp_sonde_clock_drift_seconds', 'Sonde clock minus gateway clock at the last check')
        .collect({}, () => (status().clockDriftMs ?? 0) / 1000);
}
//# sourceMappingURL=metrics.js.map