package invapi

// JenkinsService wraps jenkins.php: deployment tasks.
type JenkinsService service
