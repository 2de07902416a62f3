-- Publication, one table written a day at a time (etl/publish.py): in the dashboard's copy,
-- the rows of the days in `days_to_publish` are replaced by the load's. {table} and
-- {day_column} come from publish.TABLES_BY_DAY. $first_day and $last_day bound those days,
-- so that both scans skip the row groups of the other days.
delete from dashboard.{table} using days_to_publish d
where {table}.platform = d.platform and {table}.{day_column}::date = d.day
  and {table}.{day_column} >= $first_day and {table}.{day_column} < $last_day + interval 1 day;

insert into dashboard.{table}
select t.* from {table} as t semi join days_to_publish as d on t.platform = d.platform and t.{day_column}::date = d.day
where t.{day_column} >= $first_day and t.{day_column} < $last_day + interval 1 day;
