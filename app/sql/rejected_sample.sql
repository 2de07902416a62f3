-- First quarantined inputs, as read (shown as plain text, never rendered); the analysts'
-- annotations of no known platform with each platform's.
SELECT source, source_file, line_no, reason_code, detail, raw_text
FROM rejected_rows
WHERE platform = $platform OR (source = 'annotations' AND platform IS NULL)
ORDER BY source, source_file, line_no
LIMIT $limit
