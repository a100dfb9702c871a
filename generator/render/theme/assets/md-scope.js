/* Material for MkDocs' inline <head> bootstrap (partials/javascripts/base.html), moved to a file so the site
   runs under a CSP without 'unsafe-inline'. The scope is the site root: this file's folder's parent, which is
   what Material computes from base_url, wherever the site is deployed. */
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
