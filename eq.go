package invapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/invapi-go/invapi/internal/loose"
)

// EqService wraps eq.php: servers, power, reinstalls, IPMI and consoles.
//
// Each method is one action, sent once: multi-step procedures (order and
// wait, reinstall, IPMI access) are built from them.
type EqService service

// Settle hints: the read that tells whether a change took effect when its
// outcome is unknown (the request path appends the server id).
const (
	eqSettlePower     = "eq/status"
	eqSettleReinstall = "eq/show (reinstall state)"
	eqSettleOrder     = "eq/update_servers deploy_keys and whmcs/get_invoices"
	eqSettleShow      = "eq/show"
	eqSettleIPMI      = "eq/get_ipmi"
	eqSettleBackups   = "eq/backup_list"
	eqSettlePIN       = "eq/check_pin"
)

var (
	// reads
	eqList                = endpoint{module: "eq", action: "list", class: read, evidence: byClient("tf", "mcp")}
	eqSearch              = endpoint{module: "eq", action: "search", class: read, evidence: guessed}
	eqUnifiedServerSearch = endpoint{module: "eq", action: "unified_server_search", class: read, evidence: guessed}
	// show: status read from server_data.status (tf), else Condition_Component (whmcs); main address from IP[].main_ip (tf).
	eqShow                  = endpoint{module: "eq", action: "show", class: read, evidence: byClient("tf", "whmcs", "mcp")}
	eqStatus                = endpoint{module: "eq", action: "status", class: read, async: eqCallback, evidence: byClient("mcp")}
	eqStatusCheck           = endpoint{module: "eq", action: "status_check", class: read, evidence: guessed}
	eqUpdateServers         = endpoint{module: "eq", action: "update_servers", class: read, evidence: byClient("tf", "mcp")}
	eqGroups                = endpoint{module: "eq", action: "groups", class: read, evidence: guessed}
	eqHistory               = endpoint{module: "eq", action: "history", class: read, evidence: guessed}
	eqSensors               = endpoint{module: "eq", action: "sensors", class: read, async: eqCallback, evidence: byClient("mcp")}
	eqGetIPMI               = endpoint{module: "eq", action: "get_ipmi", class: read, evidence: guessed}
	eqBackupList            = endpoint{module: "eq", action: "backup_list", class: read, evidence: guessed}
	eqBackupGetSchedule     = endpoint{module: "eq", action: "backup_get_schedule", class: read, evidence: guessed}
	eqCheckBackupLock       = endpoint{module: "eq", action: "check_backup_lock", class: read, evidence: guessed}
	eqGetTraffic            = endpoint{module: "eq", action: "get_traffic", class: read, evidence: guessed}
	eqGetServersForAnnounce = endpoint{module: "eq", action: "getserversforannounce", class: read, evidence: guessed}

	// power
	eqOn        = endpoint{module: "eq", action: "on", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("tf", "mcp")}
	eqOff       = endpoint{module: "eq", action: "off", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("tf", "mcp")}
	eqHardOff   = endpoint{module: "eq", action: "hard_off", class: change, settle: eqSettlePower, evidence: byClient("tf")}
	eqReboot    = endpoint{module: "eq", action: "reboot", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("tf", "mcp")}
	eqUnitReset = endpoint{module: "eq", action: "unit_reset", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("mcp")}
	eqSuspend   = endpoint{module: "eq", action: "suspend", class: change, settle: "eq/show (status)", evidence: guessed}
	eqUnsuspend = endpoint{module: "eq", action: "unsuspend", class: change, settle: "eq/show (status)", evidence: guessed}

	// PIN
	eqSetPIN   = endpoint{module: "eq", action: "set_pin", class: change, async: eqCallback, settle: eqSettlePIN, evidence: documented}
	eqCheckPIN = endpoint{module: "eq", action: "check_pin", class: change, pin: true, async: eqCallback, settle: eqSettlePIN, evidence: documented}

	// ordering and reinstalls
	// order_instance: names and values as tf, whmcs and mcp send them (§1b);
	// deploy_notify goes as 0/1 (whmcs "1", tf and mcp "true"/"false"); the
	// PIN goes only when configured: docs 001 require it, no client sends it.
	eqOrderInstance  = endpoint{module: "eq", action: "order_instance", class: money, pin: true, async: eqCallback, settle: eqSettleOrder, evidence: byClient("tf", "whmcs", "mcp")}
	eqDeploy         = endpoint{module: "eq", action: "deploy", class: money, settle: eqSettleOrder, evidence: guessed}
	eqReinstall      = endpoint{module: "eq", action: "reinstall", class: change, async: eqCallback, settle: eqSettleReinstall, evidence: byClient("mcp")}
	eqAbortReinstall = endpoint{module: "eq", action: "abort_reinstall", class: change, settle: eqSettleReinstall, evidence: guessed}
	eqCreatePXE      = endpoint{module: "eq", action: "create_pxe", class: change, pin: true, async: eqCallback, settle: eqSettleReinstall, evidence: byClient("mcp")}
	eqClearPXE       = endpoint{module: "eq", action: "clear_pxe", class: change, async: eqCallback, settle: eqSettleReinstall, evidence: byClient("mcp")}
	eqBootDev        = endpoint{module: "eq", action: "boot_dev", class: change, pin: true, async: eqCallback, settle: eqSettleShow, evidence: byClient("mcp")}

	// rename_server: id and hostname, as HOSTKEY's Terraform provider sends them (no PIN).
	eqRenameServer = endpoint{module: "eq", action: "rename_server", class: change, settle: "eq/show (hostname)", evidence: byClient("tf")}

	// IPMI and consoles
	eqAddIPMIUser  = endpoint{module: "eq", action: "add_ipmi_user", class: change, async: eqCallback, settle: eqSettleIPMI, evidence: byClient("mcp")}
	eqAddIPMIAdmin = endpoint{module: "eq", action: "add_ipmi_admin", class: change, settle: eqSettleIPMI, evidence: guessed}
	// remove_ipmi_user: mcp sends id only, docs 001 add username: id required, username sent when set.
	eqRemoveIPMIUser = endpoint{module: "eq", action: "remove_ipmi_user", class: change, async: eqCallback, settle: eqSettleIPMI, evidence: byClient("mcp")}
	eqConsole        = endpoint{module: "eq", action: "console", class: change, pin: true, async: eqCallback, settle: eqSettleShow, evidence: byClient("mcp")}
	eqNoVNC          = endpoint{module: "eq", action: "novnc", class: change, async: eqCallback, settle: eqSettleShow, evidence: byClient("mcp")}
	eqOvirtNoVNC     = endpoint{module: "eq", action: "ovirt_novnc", class: change, settle: eqSettleShow, evidence: guessed}
	eqRecreateNoVNC  = endpoint{module: "eq", action: "recreate_novnc", class: change, async: eqCallback, settle: eqSettleShow, evidence: documented}
	eqStopNoVNC      = endpoint{module: "eq", action: "stop_novnc", class: change, async: eqCallback, settle: eqSettleShow, evidence: documented}

	// backups
	eqBackupSaveSchedule = endpoint{module: "eq", action: "backup_save_schedule", class: change, settle: "eq/backup_get_schedule", evidence: guessed}
	eqCreateBackup       = endpoint{module: "eq", action: "create_backup", class: change, async: eqCallback, settle: eqSettleBackups, evidence: guessed}
	eqDeleteBackup       = endpoint{module: "eq", action: "delete_backup", class: change, async: eqCallback, settle: eqSettleBackups, evidence: guessed}
	eqRestoreBackup      = endpoint{module: "eq", action: "restore_backup", class: change, async: eqCallback, settle: eqSettleBackups, evidence: guessed}
	eqRequestBackupLink  = endpoint{module: "eq", action: "request_backup_link", class: change, settle: eqSettleBackups, evidence: guessed}

	// traffic, upgrades, announcements
	eqTrafficAdd    = endpoint{module: "eq", action: "traffic_add", class: money, settle: "whmcs/get_invoices and eq/get_traffic", evidence: guessed}
	eqGetUpgradeKey = endpoint{module: "eq", action: "get_upgrade_key", class: change, settle: "whmcs/get_invoice", evidence: guessed}
	eqAnnounceIP    = endpoint{module: "eq", action: "announceip", class: change, settle: "eq/getserversforannounce", evidence: guessed}
)

// helpers

// summaries reads a server list: objects, or bare ids (older reference).
func (s *EqService) summaries(ctx context.Context, ep *endpoint, params any) ([]ServerSummary, error) {
	rows, err := getList[json.RawMessage](ctx, s.client, ep, params, "servers")
	if err != nil {
		return nil, err
	}
	out := make([]ServerSummary, 0, len(rows))
	for i, raw := range rows {
		var row ServerSummary
		if len(raw) > 0 && raw[0] == '{' {
			if err := loose.Unmarshal(raw, &row); err != nil {
				return nil, badRead(s.client, ep, fmt.Sprintf("unexpected shape of server %d", i), err)
			}
		} else if row.ID = rawInt(raw); row.ID == 0 {
			return nil, badRead(s.client, ep, fmt.Sprintf("server %d is neither an object nor an id", i), nil)
		}
		out = append(out, row)
	}
	return out, nil
}

// eqObjectFields returns, as text, the fields of the answer's object named
// key (at top level or in the data container), else the top-level fields
// minus the envelope's own.
func eqObjectFields(r reply, key string) map[string]string {
	if raw := r.field(key); len(raw) > 0 && raw[0] == '{' {
		return eqTextFields(raw)
	}
	if p := r.data(); p != nil && p[0] == '{' {
		var inner map[string]json.RawMessage
		if json.Unmarshal(p, &inner) == nil {
			if raw := inner[key]; len(raw) > 0 && raw[0] == '{' {
				return eqTextFields(raw)
			}
		}
		return eqTextFields(p)
	}
	out := eqTextFields(r.body())
	for _, k := range []string{"result", "action", "module", "code", "message"} {
		delete(out, k)
	}
	return out
}

// ServerRequest names one server, for the actions that take a server id
// and nothing the vendor documents: ID is sent as "id", Extra as given.
// The request types of those actions (HardOffRequest, SuspendRequest,
// BackupRequest...) are names for it.
type ServerRequest struct {
	ID    int    `url:"id" check:"id=server"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ServerRequest) Validate() error { return validateRequest(r) }

// eqNonNegative checks name/value pairs: ("traffic_plan", 3, "soft_id", 0...).
func eqNonNegative(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v := pairs[i+1].(int); v < 0 {
			return invalid(pairs[i].(string), "must not be negative, got %d", v)
		}
	}
	return nil
}
