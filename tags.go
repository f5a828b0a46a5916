package invapi

// TagsService wraps tags.php: tags on servers.
type TagsService service
