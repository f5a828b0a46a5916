package invapi

import (
	"context"
	"strings"
)

// JenkinsService wraps jenkins.php: deployment tasks.
type JenkinsService service

var jenkinsGetTasks = endpoint{module: "jenkins", action: "get_tasks", class: read, noAuth: true, evidence: byClient("mcp")}

// JenkinsTask is a post-install (Ansible) task; its ID is eq.php
// order_instance's jenkins_task.
type JenkinsTask struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	// Tags say where the task applies: "gpu", "bm", "vm", "vgpu", and
	// "default" for the default task.
	Tags []string `json:"tags"`
}

// SuitsFor reports whether the task is tagged for a kind of machine ("bm",
// "vm", "gpu", "vgpu") or "default".
func (t *JenkinsTask) SuitsFor(tag string) bool {
	for _, v := range t.Tags {
		if strings.EqualFold(v, tag) {
			return true
		}
	}
	return false
}

// GetTasks returns the post-install (Ansible) tasks with their tags
// (jenkins.php get_tasks). It needs no session, as documented.
func (s *JenkinsService) GetTasks(ctx context.Context) ([]JenkinsTask, error) {
	return doList[JenkinsTask](ctx, s.client, &jenkinsGetTasks, nil, "tasks")
}
