package invapi

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// nilRefusals calls every service method whose second argument is a
// request pointer with a nil one, and returns what each refused with:
// "Service.Method" -> the *ValidationError's field and reason, or "sent"
// when a nil request is accepted (it means "no parameters").
func nilRefusals(t *testing.T) map[string]string {
	c, m := newTestClient(t)
	ctx := context.Background()
	got := map[string]string{}
	cv := reflect.ValueOf(c).Elem()
	for i := 0; i < cv.NumField(); i++ {
		svc := cv.Field(i)
		if svc.Kind() != reflect.Pointer || !strings.HasSuffix(svc.Type().Elem().Name(), "Service") || !cv.Type().Field(i).IsExported() {
			continue
		}
		for j := 0; j < svc.NumMethod(); j++ {
			meth := svc.Method(j)
			mt := meth.Type()
			if mt.NumIn() != 2 || mt.In(1).Kind() != reflect.Pointer || !strings.HasSuffix(mt.In(1).Elem().Name(), "Request") {
				continue
			}
			name := cv.Type().Field(i).Name + "." + svc.Type().Method(j).Name
			before := m.sent()
			err := callNil(meth, ctx, mt.In(1))
			var verr *ValidationError
			switch {
			case errors.As(err, &verr):
				got[name] = verr.Field + ": " + verr.Reason
				assert.Equal(t, before, m.sent(), "%s sent a nil request", name)
			case err != nil && strings.HasPrefix(err.Error(), "panic: "):
				got[name] = err.Error()
			default:
				got[name] = "sent"
			}
		}
	}
	return got
}

// A nil request is refused before anything is sent, with the
// *ValidationError each method gave before the request path took the
// guard over (the field of the request's first check, "request is nil");
// methods whose request is optional send no parameters.
func TestNilRequestRefusedBeforeSending(t *testing.T) {
	got := nilRefusals(t)
	assert.Equal(t, nilRequestAnswers, got)
}

var nilRequestAnswers = map[string]string{
	"APIKeys.Add":                           "params[name]: request is nil",
	"APIKeys.Edit":                          "params[id]: request is nil",
	"APIKeys.History":                       "sent",
	"Auth.GetLog":                           "sent",
	"Eq.AbortReinstall":                     "id: request is nil",
	"Eq.AddIPMIAdmin":                       "id: request is nil",
	"Eq.AddIPMIUser":                        "id: request is nil",
	"Eq.AnnounceIP":                         "subnet: request is nil",
	"Eq.BackupGetSchedule":                  "id: request is nil",
	"Eq.BackupList":                         "id: request is nil",
	"Eq.BackupSaveSchedule":                 "id: request is nil",
	"Eq.BootDev":                            "id: request is nil",
	"Eq.CheckBackupLock":                    "id: request is nil",
	"Eq.ClearPXE":                           "id: request is nil",
	"Eq.CreateBackup":                       "id: request is nil",
	"Eq.CreatePXE":                          "id: request is nil",
	"Eq.DeleteBackup":                       "id: request is nil",
	"Eq.Deploy":                             "id: request is nil",
	"Eq.GetIPMI":                            "id: request is nil",
	"Eq.GetServersForAnnounce":              "sent",
	"Eq.GetTraffic":                         "id: request is nil",
	"Eq.GetUpgradeKey":                      "invoice_id: request is nil",
	"Eq.Groups":                             "id: request is nil",
	"Eq.HardOff":                            "id: request is nil",
	"Eq.History":                            "id: request is nil",
	"Eq.List":                               "sent",
	"Eq.NoVNC":                              "id: request is nil",
	"Eq.OrderInstance":                      "preset: request is nil",
	"Eq.OvirtNoVNC":                         "id: request is nil",
	"Eq.Reinstall":                          "id: request is nil",
	"Eq.RemoveIPMIUser":                     "id: request is nil",
	"Eq.RenameServer":                       "id: request is nil",
	"Eq.RequestBackupLink":                  "id: request is nil",
	"Eq.RestoreBackup":                      "id: request is nil",
	"Eq.Search":                             "sent",
	"Eq.SetPIN":                             "new_pin: request is nil",
	"Eq.StatusCheck":                        "id: request is nil",
	"Eq.Suspend":                            "id: request is nil",
	"Eq.TrafficAdd":                         "id: request is nil",
	"Eq.UnifiedServerSearch":                "query: request is nil",
	"Eq.Unsuspend":                          "id: request is nil",
	"IP.GetPTR":                             "id: request is nil",
	"IP.GetTraffic":                         "ip: request is nil",
	"IP.ListFreeIP":                         "sent",
	"IP.SetMain":                            "id: request is nil",
	"IP.UpdatePTR":                          "id: request is nil",
	"ISO.Add":                               "url: request is nil",
	"ISO.List":                              "sent",
	"ISO.MountISO":                          "id: request is nil",
	"ISO.Upload":                            "url: request is nil",
	"Jenkins.Call":                          "id: request is nil",
	"Jira.RequestAssistance":                "id: request is nil",
	"NAT.AddStaticNAT":                      "id: request is nil",
	"NAT.DropNAT":                           "id: request is nil",
	"Net.AddIPv4":                           "id: request is nil",
	"Net.BlockIP":                           "id: request is nil",
	"Net.GetStatus":                         "id: request is nil",
	"Net.PortOff":                           "id: request is nil",
	"Net.PortOn":                            "id: request is nil",
	"Net.RemoveIPv4":                        "id: request is nil",
	"Net.ShowCacti":                         "id: request is nil",
	"Net.ShowIPv4Free":                      "id: request is nil",
	"Net.UnblockIP":                         "id: request is nil",
	"OS.List":                               "sent",
	"PDNS.AddDNS":                           "params[zone]: request is nil",
	"PDNS.AddDomain":                        "params[name]: request is nil",
	"PDNS.AddSubdomain":                     "server_id: request is nil",
	"PDNS.AddZone":                          "name: request is nil",
	"PDNS.DeleteDNS":                        "params[zone]: request is nil",
	"PDNS.DeleteDomain":                     "params[id]: request is nil",
	"PDNS.EditSubdomain":                    "id: request is nil",
	"Presets.Groups":                        "sent",
	"Presets.Info":                          "sent",
	"Presets.List":                          "location: request is nil",
	"Presets.Search":                        "name: request is nil",
	"Presets.Show":                          "id: request is nil",
	"RHR.Add":                               "id: request is nil",
	"RHR.List":                              "sent",
	"S3.CreateAccount":                      "plan_id: request is nil",
	"S3.CreateBucket":                       "bucket: request is nil",
	"S3.CreateOrder":                        "plan_id: request is nil",
	"S3.DeleteBucket":                       "bucket: request is nil",
	"S3.GetAvailableLocations":              "sent",
	"S3.GetFiles":                           "bucket: request is nil",
	"S3.GetUsers":                           "sent",
	"S3.ListPlans":                          "sent",
	"SSHKeys.Add":                           "params[name]: request is nil",
	"Software.List":                         "sent",
	"Stocks.List":                           "sent",
	"Tags.Add":                              "tag: request is nil",
	"Tags.Remove":                           "tag: request is nil",
	"TrafficPlans.List":                     "instance_id: request is nil",
	"VM.GetEngine":                          "sent",
	"WHMCS.AddContact":                      "sent",
	"WHMCS.ApplyCredit":                     "invoice_id: request is nil",
	"WHMCS.CreateAddFunds":                  "amount: request is nil",
	"WHMCS.DeleteCancellationRequest":       "id: request is nil",
	"WHMCS.DeleteContact":                   "contact_id: request is nil",
	"WHMCS.DownloadInvoice":                 "invoice_id: request is nil",
	"WHMCS.GenerateDueInvoice":              "id: request is nil",
	"WHMCS.GetCancellationRequests":         "sent",
	"WHMCS.GetClientGroups":                 "sent",
	"WHMCS.GetContacts":                     "sent",
	"WHMCS.GetCredits":                      "sent",
	"WHMCS.GetInvoice":                      "invoice_id: request is nil",
	"WHMCS.GetInvoices":                     "sent",
	"WHMCS.GetProductInvoice":               "product: request is nil",
	"WHMCS.GetRelatedInvoices":              "id: request is nil",
	"WHMCS.MassPay":                         "invoices[]: request is nil",
	"WHMCS.RequestCancellation":             "id: request is nil",
	"WHMCS.RequestSubscriptionCancellation": "id: request is nil",
	"WHMCS.ResetPassword":                   "email: request is nil",
	"WHMCS.Transactions":                    "sent",
	"WHMCS.UpdateClient":                    "billing_firstname: request is nil",
	"WHMCS.UpdateContact":                   "contact_id: request is nil",
}

func (m *mockAPI) sent() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.requests)
}

// callNil calls meth with ctx and a nil request; a panic is an error.
func callNil(meth reflect.Value, ctx context.Context, req reflect.Type) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	out := meth.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.Zero(req)})
	err, _ = out[len(out)-1].Interface().(error)
	return err
}
