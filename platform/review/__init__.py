"""Legal references in posts: recognising the provisions they cite, and reviewing them
when the law changes (issue 23)."""
