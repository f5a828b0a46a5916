package invapi

// JiraService wraps jira.php: remote-hands tickets.
type JiraService service
