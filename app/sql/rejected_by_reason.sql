-- Quarantined inputs per source and kind of reason (`reject_kind`: the reason without the
-- value it quotes, so one invalid SIRET and another count together): the rows kept one by
-- one, and those only counted beyond the rows kept per file (rejected_overflow). The analysts' annotations of no known
-- platform (every platform, or an unknown platform code) are shown with each platform's.
SELECT source, reject_kind(reason) AS reason, sum(n) AS n_rows
FROM (
    SELECT source, reason, 1 AS n FROM rejected_rows
    WHERE platform = $platform OR (source = 'annotations' AND platform IS NULL)
    UNION ALL
    SELECT source, reason, n_rows FROM rejected_overflow WHERE platform = $platform
)
GROUP BY source, reject_kind(reason)
ORDER BY n_rows DESC, source ASC, reason ASC
