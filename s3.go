package invapi

import (
	"context"
	"net/url"
	"regexp"
	"strings"
)

// S3Service wraps s3.php: S3 storage accounts, buckets and files, plans and
// billing.
//
// The vendor lists s3.php's actions by name only, with no parameter list:
// the fields modelled here are those HOSTKEY's MCP server sends (an
// account id, a plan and a location, a bucket, a file), and every request
// takes Extra for anything else.
type S3Service service

var (
	s3CancelDeletion = endpoint{module: "s3", action: "cancel_payment_account_deletion", class: change, settle: "s3/get_users", evidence: byClient("mcp")}
	s3CreateAccount  = endpoint{module: "s3", action: "create_account", class: money, settle: "s3/get_users and whmcs/get_invoices", evidence: byClient("mcp")}
	s3CreateBucket   = endpoint{module: "s3", action: "create_bucket", class: change, settle: "s3/get_buckets_rmq", evidence: byClient("mcp")}
	s3CreateOrder    = endpoint{module: "s3", action: "create_order", class: money, settle: "s3/get_users and whmcs/get_invoices", evidence: byClient("mcp")}
	s3DeleteAccount  = endpoint{module: "s3", action: "delete_account", class: change, settle: "s3/get_users", evidence: byClient("mcp")}
	s3DeleteBucket   = endpoint{module: "s3", action: "delete_bucket", class: change, settle: "s3/get_buckets_rmq", evidence: byClient("mcp")}
	s3DeleteFile     = endpoint{module: "s3", action: "delete_file", class: change, settle: "s3/get_files", evidence: byClient("mcp")}
	s3DeletePayment  = endpoint{module: "s3", action: "delete_payment_account", class: change, settle: "s3/get_users", evidence: byClient("mcp")}
	s3GetBuckets     = endpoint{module: "s3", action: "get_buckets", class: read, evidence: byClient("mcp")}
	s3GetBucketsRMQ  = endpoint{module: "s3", action: "get_buckets_rmq", class: read, evidence: byClient("mcp")}
	s3GetFiles       = endpoint{module: "s3", action: "get_files", class: read, evidence: byClient("mcp")}
	s3GetUsers       = endpoint{module: "s3", action: "get_users", class: read, evidence: byClient("mcp")}
	s3History        = endpoint{module: "s3", action: "history", class: read, evidence: guessed}
	s3ListPlans      = endpoint{module: "s3", action: "list_plans", class: read, evidence: byClient("mcp")}
	// show_key: mcp asks for one key_type; both keys are read from any answer.
	s3ShowKey = endpoint{module: "s3", action: "show_key", class: read, evidence: byClient("mcp")}
	// Not in the vendor catalogue: HOSTKEY's MCP server calls them.
	s3GetLocations      = endpoint{module: "s3", action: "get_available_locations", class: read, evidence: byClient("mcp")}
	s3UpdateTrafficInfo = endpoint{module: "s3", action: "update_traffic_info", class: change, settle: "s3/get_users", evidence: byClient("mcp")}
)

// bucketName follows S3's rules: 3 to 63 lower-case letters, digits, dots
// and hyphens, starting and ending with a letter or digit.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func validBucket(name string) error {
	if !bucketName.MatchString(name) {
		return invalid("bucket", "%q is not a valid bucket name (3-63 of a-z 0-9 . -)", name)
	}
	return nil
}

func validS3Account(id int) error {
	if id <= 0 {
		return invalid("account_id", "must be a positive S3 account id, got %d", id)
	}
	return nil
}

// S3Plan is an S3 storage plan.
type S3Plan struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	SizeGB   int    `json:"size_gb"`
	Location string `json:"location"`
	Price    Prices `json:"price"` // monthly, by currency
}

// S3Account is an S3 storage account (a "user" in s3.php's words).
type S3Account struct {
	ID        int    `json:"id"`
	PlanID    int    `json:"plan_id"`
	UID       string `json:"s3uid"`
	Status    string `json:"status"` // "Active", "Pending deletion"...
	Location  string `json:"location"`
	AccessKey string `json:"access_key"`
	Buckets   int    `json:"buckets"`
	Email     string `json:"email"`
	Traffic   int64  `json:"traffic"`
}

// S3Order is the answer of create_account and create_order: the account and
// the invoice that pays for it.
type S3Order struct {
	Account S3Account `json:"account"`
	Invoice int       `json:"invoice"`
	RawJSON
}

// S3Bucket is a bucket and its usage.
type S3Bucket struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"` // bytes
	Objects int    `json:"objects"`
}

// S3Buckets is the answer of get_buckets_rmq: buckets, quota and credentials.
type S3Buckets struct {
	Buckets     []S3Bucket `json:"buckets"`
	QuotaGB     int        `json:"quota_gb"`
	Credentials struct {
		AccessKey string `json:"access_key"`
		Endpoint  string `json:"endpoint"`
	} `json:"credentials"`
	RawJSON
}

// S3File is an object (or folder) in a bucket.
type S3File struct {
	Key  string `json:"key"`
	Size int64  `json:"size"`
}

// S3Files is one page of get_files.
type S3Files struct {
	Files []S3File `json:"files"`
	Page  int      `json:"page"`
	Total int      `json:"total"`
}

// S3Event is one entry of an account's history.
type S3Event struct {
	Date  string `json:"date"`
	Event string `json:"event"`
}

// S3Keys are an account's keys: the secret is never printed.
type S3Keys struct {
	AccessKey string
	SecretKey Secret // empty when only the access key was asked for
}

// S3AccountRequest names an S3 account; Extra carries undocumented fields.
type S3AccountRequest struct {
	AccountID int    `url:"account_id" check:"id=S3 account"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *S3AccountRequest) Validate() error { return validateRequest(r) }

// S3OrderRequest orders an S3 account on a plan in a location
// (create_account, create_order), with the fields HOSTKEY's MCP server
// sends.
type S3OrderRequest struct {
	PlanID int `url:"plan_id" check:"id=plan"`
	// Location is where the storage lives (S3Service.GetAvailableLocations).
	Location string `url:"location,omitempty" check:"location,optional"`
	// Bucket is the account's first bucket (create_account).
	Bucket string `url:"bucket,omitempty"`
	Extra  Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *S3OrderRequest) Validate() error { return validateRequest(r) }

func (r *S3OrderRequest) check() error {
	if r.Bucket != "" {
		return validBucket(r.Bucket)
	}
	return nil
}

// S3BucketRequest names a bucket of an account.
type S3BucketRequest struct {
	AccountID int    `url:"account_id" check:"id=S3 account"`
	Bucket    string `url:"bucket"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *S3BucketRequest) Validate() error { return validateRequest(r) }

func (r *S3BucketRequest) check() error {
	return validBucket(r.Bucket)
}

// S3FilesRequest lists a bucket's files, a page at a time, with the fields
// HOSTKEY's MCP server sends.
type S3FilesRequest struct {
	AccountID int    `url:"account_id"`
	Bucket    string `url:"bucket"`
	Search    string `url:"search,omitempty"` // file names containing it
	Page      int    `url:"page,omitempty"`
	Limit     int    `url:"limit,omitempty"` // files per page
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *S3FilesRequest) Validate() error { return validateRequest(r) }

func (r *S3FilesRequest) check() error {
	if r.Page < 0 {
		return invalid("page", "must not be negative")
	}
	if r.Limit < 0 {
		return invalid("limit", "must not be negative")
	}
	return (&S3BucketRequest{AccountID: r.AccountID, Bucket: r.Bucket}).Validate()
}

// S3UsersRequest filters get_users.
type S3UsersRequest struct {
	PlanID   int    `url:"plan,omitempty"`
	Email    string `url:"email,omitempty"`
	UID      string `url:"s3uid,omitempty"`
	Location string `url:"location,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// S3LocationRequest narrows an s3.php list to a location.
type S3LocationRequest struct {
	Location string `url:"location,omitempty" check:"location,optional"` // "NL", "US"...
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *S3LocationRequest) Validate() error { return validateRequest(r) }

// ListPlans returns the S3 plans on offer, in one location or all, with
// prices in the customer's currency (s3.php list_plans). req may be nil.
func (s *S3Service) ListPlans(ctx context.Context, req *S3LocationRequest) ([]S3Plan, error) {
	return getList[S3Plan](ctx, s.client, &s3ListPlans, optional(req), "plans")
}

// S3Location is a location where S3 storage can be ordered. The API sends
// it as an object ({"location":"NL"} or {"code":"NL","name":...}) or as a
// bare code ("NL").
type S3Location struct {
	Code string `json:"location" loose:"alt=code bare=scalar"` // "NL"...
	Name string `json:"name"`
}

// GetAvailableLocations returns where S3 storage can be ordered (s3.php
// get_available_locations). The vendor does not publish this action;
// HOSTKEY's MCP server calls it with no fields. The list is read under
// "locations", "data" or the body. req may be nil.
func (s *S3Service) GetAvailableLocations(ctx context.Context, req *S3LocationRequest) ([]S3Location, error) {
	return getList[S3Location](ctx, s.client, &s3GetLocations, optional(req), "locations")
}

// UpdateTrafficInfo asks the API to refresh an account's traffic figures
// (s3.php update_traffic_info). The vendor does not publish this action;
// HOSTKEY's MCP server sends account_id and says it is for administrators.
func (s *S3Service) UpdateTrafficInfo(ctx context.Context, accountID int) error {
	return s.accountAction(ctx, &s3UpdateTrafficInfo, accountID)
}

// CreateAccount orders an S3 account on a plan; the order is billed
// (s3.php create_account). Sent once, never again.
func (s *S3Service) CreateAccount(ctx context.Context, req *S3OrderRequest) (*S3Order, error) {
	return get[S3Order](ctx, s.client, &s3CreateAccount, req)
}

// CreateOrder orders an S3 account with a first bucket; the order is billed
// (s3.php create_order). Sent once, never again.
func (s *S3Service) CreateOrder(ctx context.Context, req *S3OrderRequest) (*S3Order, error) {
	return get[S3Order](ctx, s.client, &s3CreateOrder, req)
}

// DeleteAccount deletes an S3 account (s3.php delete_account).
func (s *S3Service) DeleteAccount(ctx context.Context, accountID int) error {
	return s.accountAction(ctx, &s3DeleteAccount, accountID)
}

// DeletePaymentAccount asks to cancel the S3 service and delete its billing
// account (s3.php delete_payment_account).
func (s *S3Service) DeletePaymentAccount(ctx context.Context, accountID int) error {
	return s.accountAction(ctx, &s3DeletePayment, accountID)
}

// CancelPaymentAccountDeletion withdraws a cancellation requested with
// DeletePaymentAccount (s3.php cancel_payment_account_deletion).
func (s *S3Service) CancelPaymentAccountDeletion(ctx context.Context, accountID int) error {
	return s.accountAction(ctx, &s3CancelDeletion, accountID)
}

func (s *S3Service) accountAction(ctx context.Context, ep *endpoint, accountID int) error {
	return act(ctx, s.client, ep, &S3AccountRequest{AccountID: accountID})
}

// GetUsers returns S3 accounts with their traffic and storage, filtered by
// plan, e-mail, s3uid or location (s3.php get_users).
func (s *S3Service) GetUsers(ctx context.Context, req *S3UsersRequest) ([]S3Account, error) {
	return getList[S3Account](ctx, s.client, &s3GetUsers, optional(req), "users")
}

// ShowKey returns an account's keys (s3.php show_key): the access key, and
// the secret key unless accessOnly. It sends key_type=access_key or
// key_type=secret_key, as HOSTKEY's MCP server does, and reads access_key /
// secret_key, or a bare key as the one asked for.
func (s *S3Service) ShowKey(ctx context.Context, accountID int, accessOnly bool) (*S3Keys, error) {
	if err := validS3Account(accountID); err != nil {
		return nil, err
	}
	keyType := "secret_key"
	if accessOnly {
		keyType = "access_key"
	}
	f := url.Values{"account_id": {itoa(accountID)}, "key_type": {keyType}}
	var out struct {
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key" secret:"answer"`
		Key       string `json:"key" secret:"answer"` // the key asked for (the access key is masked too then)
	}
	if err := getInto(ctx, s.client, &s3ShowKey, f, &out); err != nil {
		return nil, err
	}
	if out.Key != "" {
		if accessOnly && out.AccessKey == "" {
			out.AccessKey = out.Key
		} else if !accessOnly && out.SecretKey == "" {
			out.SecretKey = out.Key
		}
	}
	if accessOnly {
		out.SecretKey = "" // not asked for: never handed back
	}
	return &S3Keys{AccessKey: out.AccessKey, SecretKey: Secret{value: out.SecretKey}}, nil
}

// History returns an account's events (s3.php history).
func (s *S3Service) History(ctx context.Context, accountID int) ([]S3Event, error) {
	if err := validS3Account(accountID); err != nil {
		return nil, err
	}
	return getList[S3Event](ctx, s.client, &s3History, &S3AccountRequest{AccountID: accountID}, "history")
}

func (r *S3BucketRequest) nilField() string { return "bucket" }
func (r *S3FilesRequest) nilField() string  { return "bucket" }

// CreateBucket creates a bucket in an account (s3.php create_bucket).
func (s *S3Service) CreateBucket(ctx context.Context, req *S3BucketRequest) error {
	return act(ctx, s.client, &s3CreateBucket, req)
}

// DeleteBucket deletes a bucket of the account (s3.php delete_bucket).
func (s *S3Service) DeleteBucket(ctx context.Context, req *S3BucketRequest) error {
	return act(ctx, s.client, &s3DeleteBucket, req)
}

// GetBuckets returns an account's buckets and usage (s3.php get_buckets);
// accountID 0 sends none (HOSTKEY's MCP server makes it optional: the
// API then picks the caller's account). The vendor notes this action is
// disabled in the current API: prefer GetBucketsRMQ.
func (s *S3Service) GetBuckets(ctx context.Context, accountID int) (*S3Buckets, error) {
	return s.buckets(ctx, &s3GetBuckets, accountID)
}

// GetBucketsRMQ returns an account's buckets with usage, quota and
// credentials (s3.php get_buckets_rmq); accountID 0 sends none.
func (s *S3Service) GetBucketsRMQ(ctx context.Context, accountID int) (*S3Buckets, error) {
	return s.buckets(ctx, &s3GetBucketsRMQ, accountID)
}

func (s *S3Service) buckets(ctx context.Context, ep *endpoint, accountID int) (*S3Buckets, error) {
	if accountID < 0 {
		return nil, invalid("account_id", "must be a positive S3 account id, or 0 for the caller's, got %d", accountID)
	}
	var params any
	if accountID > 0 {
		params = &S3AccountRequest{AccountID: accountID}
	}
	return get[S3Buckets](ctx, s.client, ep, params)
}

// GetFiles lists the files and folders of a bucket, a page at a time, with
// an optional search on the names (s3.php get_files).
func (s *S3Service) GetFiles(ctx context.Context, req *S3FilesRequest) (*S3Files, error) {
	return get[S3Files](ctx, s.client, &s3GetFiles, req)
}

// DeleteFile deletes a file from a bucket (s3.php delete_file).
func (s *S3Service) DeleteFile(ctx context.Context, req *S3BucketRequest, key string) error {
	if req == nil {
		return invalid("bucket", "request is nil")
	}
	if strings.TrimSpace(key) == "" {
		return invalid("file", "is empty")
	}
	if err := req.Validate(); err != nil {
		return err
	}
	f := url.Values{"account_id": {itoa(req.AccountID)}, "bucket": {req.Bucket}, "file": {key}}
	for k, v := range req.Extra {
		f.Set(k, v)
	}
	return act(ctx, s.client, &s3DeleteFile, f)
}
