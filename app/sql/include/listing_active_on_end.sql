-- Condition on listings `l`: active on $end, i.e. created by then and not yet withdrawn (an
-- inactive listing without a withdrawal date cannot be dated, so it never counts as active).
-- Follows other conditions (starts with AND).
      AND l.created_on <= $end
      AND (l.withdrawn_on > $end OR (l.withdrawn_on IS NULL AND l.is_active))
