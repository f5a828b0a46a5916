package invapitest

import (
	"strconv"
	"time"
)

// ReinstallStages are the five progress messages an installation reports
// through its callback key, in order, as "Stage" answers.
var ReinstallStages = []string{
	"1st stage: OS installation was started",
	"2nd stage: base OS was installed, proceed with post-install tasks",
	"3rd stage: Post-install tasks are completed, running final tasks",
	"4th stage: Install is completed, restarting the server",
	"5th stage: The server is online",
}

// operation is an async task behind a callback key.
type operation struct {
	key        string
	endpoint   string // "eq_callback" or "nat_callback"
	action     string
	customerID int
	serverID   int
	location   string
	readyAt    time.Time
	notReady   int  // "Not ready" answers still to give
	waiting    bool // a master reinstall key not started yet (no PXE boot so far)
	stages     []string
	stageCtx   string // context.action of the Stage answers
	next       int    // next stage to deliver
	scope      any
	context    obj
	debug      string
	failed     string // non-empty: the operation ends with result "Error"
	install    bool   // an installation: clears the server's DeployStatus when done
}

// newOp registers an async operation for action on server e (nil for
// account-level actions) and returns it.
func (st *state) newOp(c *call, endpoint string, e *Equipment) *operation {
	op := &operation{
		key: newKey(), endpoint: endpoint, action: c.action, customerID: c.acct.CustomerID,
		readyAt: st.now().Add(st.opDelay), notReady: st.notReadyChecks,
	}
	op.context = obj{"action": c.action}
	if e != nil {
		op.serverID, op.location = e.ID, e.Location
		op.context["id"] = strconv.Itoa(e.ID)
		op.context["location"] = e.Location
	}
	st.ops[op.key] = op
	return op
}

// accepted is the answer of an async action.
func accepted(action string, op *operation, extra obj) obj {
	r := obj{"result": "OK", "action": action, "callback": op.key}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

// startInstall turns op into an installation reporting the five stages.
func (st *state) startInstall(op *operation, stageAction string) {
	op.stages = ReinstallStages
	op.stageCtx = stageAction
	op.install = true
	op.scope = "Installation completed, the server is online"
	op.debug = "Chassis Power Control: Up/On"
	op.context = obj{"action": "on", "id": strconv.Itoa(op.serverID), "location": op.location}
	op.readyAt = st.now().Add(st.opDelay)
	op.notReady = st.notReadyChecks
	op.waiting = false
}

// callbackCheck serves eq_callback.php and nat_callback.php action=check.
func (st *state) callbackCheck(c *call) any {
	key := c.get("key")
	op := st.ops[key]
	if key == "" || op == nil || op.endpoint != c.module {
		return errf("AsyncKey %s not found", key)
	}
	if op.waiting || op.notReady > 0 || st.now().Before(op.readyAt) {
		if op.notReady > 0 && !op.waiting {
			op.notReady--
		}
		return obj{"result": "Not ready", "key": key}
	}
	if op.failed == "" && op.next < len(op.stages) {
		scope := op.stages[op.next]
		op.next++
		return obj{"result": "Stage", "scope": scope, "context": obj{
			"action": op.stageCtx, "id": strconv.Itoa(op.serverID), "location": op.location}, "key": key}
	}
	delete(st.ops, key)
	if op.install {
		if e := st.servers[op.serverID]; e != nil {
			e.DeployStatus = ""
		}
	}
	if op.failed != "" {
		return obj{"result": "Error", "scope": op.failed, "context": op.context, "key": key}
	}
	r := obj{"result": "OK", "scope": op.scope, "context": op.context, "key": key}
	if op.debug != "" {
		r["debug"] = op.debug
	}
	return r
}

// callbackReinstall serves eq_callback.php action=reinstall, the worker's
// report that an installation finished: it fast-forwards the operation so
// the next check answers its remaining stages and OK without waiting.
func (st *state) callbackReinstall(c *call) any {
	key := c.get("key")
	op := st.ops[key]
	if key == "" || op == nil || op.endpoint != "eq_callback" {
		return errf("AsyncKey %s not found", key)
	}
	if op.waiting {
		st.startInstall(op, "reinstall")
	}
	op.notReady, op.readyAt = 0, st.now()
	return obj{"result": "OK", "key": key}
}

// PendingOperations returns the number of callback keys not yet consumed
// (their OK not read).
func (s *Server) PendingOperations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.ops)
}

// CompleteOperations makes every pending operation ready: the next check of
// each key skips its remaining "Not ready" answers (stages are still
// delivered one per check). Master reinstall keys that wait for a PXE boot
// keep waiting.
func (s *Server) CompleteOperations() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range s.st.ops {
		op.notReady, op.readyAt = 0, s.st.now()
	}
}
