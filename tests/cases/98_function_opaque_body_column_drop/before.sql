-- a plpgsql body names a column that is dropped: the server cannot tell, so the drop says so
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL, nickname text);
CREATE FUNCTION member_label(p_id bigint) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT coalesce(nickname, email) FROM members WHERE id = p_id);
END;
$$;
