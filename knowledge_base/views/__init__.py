"""Knowledge-base pages: public reading and search (`pages`), ticket deflection
(`deflection`), reader feedback (`feedback`) and staff pages (`staff`)."""
