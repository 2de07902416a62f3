-- First quarantined inputs, as read (shown as plain text, never rendered).
SELECT source, source_file, line_no, reason, raw_text
FROM rejected_rows
WHERE platform = $platform
ORDER BY source, source_file, line_no
LIMIT $limit
