-- First quarantined inputs, as read (shown as plain text, never rendered); those of no
-- platform (annotations of every platform, the shared canteen files) with each platform's.
SELECT source, source_file, line_no, reason_code, detail, raw_text
FROM rejected_rows
WHERE platform = $platform OR platform IS NULL
ORDER BY source, source_file, line_no
LIMIT $limit
