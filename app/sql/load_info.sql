-- When the warehouse was loaded and the span of its data. One row.
SELECT loaded_at, data_start, data_end
FROM load_info
-- AM09: load_info has one row
LIMIT 1  -- noqa: AM09
