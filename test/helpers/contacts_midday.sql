-- Gives every contact without a zone a fixed-offset IANA zone (Etc/GMT±N) where it is
-- between 11:00 and 13:00 now. Why: US numbers are under the law's calling hours (a
-- campaign without rule packs gets us_federal, 08:00-21:00 local), so a test, benchmark or
-- fixture that dials "now" gives its contacts this zone to be dialable at any time of day.
UPDATE dialer.contacts SET time_zone =
  (SELECT 'Etc/GMT' || CASE WHEN o > 0 THEN '-' || o WHEN o < 0 THEN '+' || -o ELSE '' END
     FROM (SELECT 12 - extract(hour FROM now() AT TIME ZONE 'UTC')::int AS o) x)
 WHERE time_zone IS NULL;
