package invapi

import (
	"context"
	"strings"
)

// JenkinsCallRequest runs a post-install task on a server, with the fields
// HOSTKEY's MCP server sends: id, task and params[...].
type JenkinsCallRequest struct {
	ID int `url:"id" check:"id=server"` // the server
	// Task is the task's id or name (JenkinsService.GetTasks).
	Task string `url:"task"`
	// Params are the task's parameters, sent as params[name]=value.
	Params FormMap `url:"params,omitempty"`
	Extra  Fields  `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *JenkinsCallRequest) Validate() error { return validateRequest(r) }

func (r *JenkinsCallRequest) check() error {
	if err := requiredText("task", r.Task, "is required (a task id or name from jenkins.php get_tasks)"); err != nil {
		return err
	}
	for k := range r.Params {
		if k == "" || strings.ContainsAny(k, "[]") {
			return invalid("params", "parameter names must be plain words, got %q", k)
		}
	}
	return nil
}

// JenkinsService wraps jenkins.php: deployment tasks.
type JenkinsService service

var (
	jenkinsGetTasks = endpoint{module: "jenkins", action: "get_tasks", class: read, noAuth: true, evidence: byClient("mcp")}
	// jenkins/call: not in the vendor catalogue; HOSTKEY's MCP server runs
	// tasks with it. It starts a job, so it is sent once; a callback key in
	// the answer is followed on eq_callback.
	jenkinsCall = endpoint{module: "jenkins", action: "call", class: change, async: eqCallback, settle: "eq/show", evidence: byClient("mcp")}
)

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
	return getList[JenkinsTask](ctx, s.client, &jenkinsGetTasks, nil, "tasks")
}

// Call runs a post-install (Ansible) task on a server, for example GPU
// drivers after a reinstall (jenkins.php call). The vendor does not
// publish this action: the fields are those HOSTKEY's MCP server sends.
// Wait on the Operation when the answer carries a callback key; it is done
// at once when it does not. It is sent once, never again.
func (s *JenkinsService) Call(ctx context.Context, req *JenkinsCallRequest) (*Operation, error) {
	return start(ctx, s.client, &jenkinsCall, req)
}
