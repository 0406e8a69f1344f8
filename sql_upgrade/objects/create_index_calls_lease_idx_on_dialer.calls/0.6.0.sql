CREATE INDEX calls_lease_idx ON dialer.calls (lease_expires_at)
  WHERE status < 'completed';
