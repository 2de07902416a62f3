-- When the warehouse was loaded and the span of its data. One row.
SELECT loaded_at, data_start, data_end
FROM load_info
LIMIT 1
