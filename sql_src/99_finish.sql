-- Last step of the install script: apply the API grants registered by every feature
-- file in dialer.api_grants (where Supabase's roles exist).
SELECT dialer.grant_api_access();
