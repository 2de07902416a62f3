-- Condition on suppliers `s`: in scope (supplier_in_scope) and active on $end (joined by
-- then, not yet left). Follows a WHERE.
-- include: supplier_in_scope
      AND s.joined_on <= $end
      AND (s.left_on IS NULL OR s.left_on > $end)
